package tplfunc

import (
	"errors"
	"math"
	"reflect"

	"github.com/spf13/cast"
)

func oneFloat(n any, name string) (float64, error) {
	f, err := cast.ToFloat64E(n)
	if err != nil {
		return 0, errors.New("the " + name + " function needs a number")
	}
	return f, nil
}

// Abs returns the absolute value of n.
func (*Math) Abs(n any) (float64, error) { f, err := oneFloat(n, "Abs"); return math.Abs(f), err }

// Ceil returns the least integer value greater than or equal to n.
func (*Math) Ceil(n any) (float64, error) { f, err := oneFloat(n, "Ceil"); return math.Ceil(f), err }

// Floor returns the greatest integer value less than or equal to n.
func (*Math) Floor(n any) (float64, error) { f, err := oneFloat(n, "Floor"); return math.Floor(f), err }

// Round returns n rounded half away from zero.
func (*Math) Round(n any) (float64, error) { f, err := oneFloat(n, "Round"); return math.Round(f), err }

// Sqrt returns the square root of n.
func (*Math) Sqrt(n any) (float64, error) { f, err := oneFloat(n, "Sqrt"); return math.Sqrt(f), err }

// Log returns the natural logarithm of n.
func (*Math) Log(n any) (float64, error) { f, err := oneFloat(n, "Log"); return math.Log(f), err }

// Sin returns the sine of the radian n.
func (*Math) Sin(n any) (float64, error) { f, err := oneFloat(n, "Sin"); return math.Sin(f), err }

// Cos returns the cosine of the radian n.
func (*Math) Cos(n any) (float64, error) { f, err := oneFloat(n, "Cos"); return math.Cos(f), err }

// Tan returns the tangent of the radian n.
func (*Math) Tan(n any) (float64, error) { f, err := oneFloat(n, "Tan"); return math.Tan(f), err }

// Asin returns the arcsine of n in radians.
func (*Math) Asin(n any) (float64, error) { f, err := oneFloat(n, "Asin"); return math.Asin(f), err }

// Acos returns the arccosine of n in radians.
func (*Math) Acos(n any) (float64, error) { f, err := oneFloat(n, "Acos"); return math.Acos(f), err }

// Atan returns the arctangent of n in radians.
func (*Math) Atan(n any) (float64, error) { f, err := oneFloat(n, "Atan"); return math.Atan(f), err }

// Atan2 returns the arctangent of y/x in radians.
func (*Math) Atan2(y, x any) (float64, error) {
	a, err := oneFloat(y, "Atan2")
	if err != nil {
		return 0, err
	}
	b, err := oneFloat(x, "Atan2")
	return math.Atan2(a, b), err
}

// ToDegrees converts radians to degrees.
func (*Math) ToDegrees(n any) (float64, error) {
	f, err := oneFloat(n, "ToDegrees")
	return f * 180 / math.Pi, err
}

// ToRadians converts degrees to radians.
func (*Math) ToRadians(n any) (float64, error) {
	f, err := oneFloat(n, "ToRadians")
	return f * math.Pi / 180, err
}

// Pi returns π.
func (*Math) Pi() float64 { return math.Pi }

// MaxInt64 returns the largest int64.
func (*Math) MaxInt64() int64 { return math.MaxInt64 }

// Max returns the greatest of the numbers, lists flattened.
func (*Math) Max(inputs ...any) (float64, error) {
	return fold(inputs, "Max", math.Inf(-1), math.Max)
}

// Min returns the least of the numbers, lists flattened.
func (*Math) Min(inputs ...any) (float64, error) {
	return fold(inputs, "Min", math.Inf(1), math.Min)
}

// Sum returns the sum of the numbers, lists flattened.
func (*Math) Sum(inputs ...any) (float64, error) {
	return fold(inputs, "Sum", 0, func(a, b float64) float64 { return a + b })
}

// Product returns the product of the numbers, lists flattened.
func (*Math) Product(inputs ...any) (float64, error) {
	return fold(inputs, "Product", 1, func(a, b float64) float64 { return a * b })
}

func fold(inputs []any, name string, acc float64, f func(a, b float64) float64) (float64, error) {
	if len(inputs) == 0 {
		return 0, errors.New("the " + name + " function needs at least one number")
	}
	for _, in := range inputs {
		if v := reflect.ValueOf(in); isList(v) {
			for i := range v.Len() {
				x, err := oneFloat(v.Index(i).Interface(), name)
				if err != nil {
					return 0, err
				}
				acc = f(acc, x)
			}
			continue
		}
		x, err := oneFloat(in, name)
		if err != nil {
			return 0, err
		}
		acc = f(acc, x)
	}
	return acc, nil
}

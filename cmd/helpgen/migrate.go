package main

import (
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"

	"github.com/helpgen/helpgen/internal/config"
	"github.com/helpgen/helpgen/internal/diag"
	"github.com/helpgen/helpgen/internal/migrate"
	"github.com/helpgen/helpgen/internal/render"
	"github.com/helpgen/helpgen/internal/sitefs"
)

func cmdMigrate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("migrate", "migrate hugo [-s SITE] --config config.toml,config_us.toml --region-param TargetRegion [-o helpgen.toml] [--force]", stderr)
	site := fs.StringP("source", "s", ".", "the Hugo site's root")
	configs := fs.StringSlice("config", nil, "the Hugo config files, one per region, relative to the site root")
	param := fs.String("region-param", "TargetRegion", "the site param that names a config's region")
	out := fs.StringP("output", "o", config.File, "where to write the configuration, relative to the site root; - for standard output")
	force := fs.Bool("force", false, "replace an existing helpgen.toml")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 || fs.Arg(0) != "hugo" {
		fmt.Fprintln(stderr, "helpgen migrate: name the kind of site to migrate from: helpgen migrate hugo")
		fs.Usage()
		return exitUsage
	}
	if err := sitefs.CheckRoot(*site); err != nil {
		fmt.Fprintf(stderr, "helpgen migrate: %v\n", err)
		return exitUsage
	}
	res, err := migrate.Run(os.DirFS(*site), migrate.Options{Configs: *configs, RegionParam: *param, Funcs: render.FuncNames()})
	if err != nil {
		printWarnings(stderr, diag.Flatten(err))
		return exitContent
	}
	printWarnings(stderr, res.Findings)
	if *out == "-" {
		_, _ = stdout.Write(res.Config)
		return exitOK
	}
	dest := filepath.Join(*site, *out)
	if _, err := os.Stat(dest); err == nil && !*force {
		fmt.Fprintf(stderr, "helpgen migrate: %s exists; pass --force to replace it, or -o - to print the configuration\n", dest)
		return exitUsage
	} else if err != nil && !errors.Is(err, iofs.ErrNotExist) {
		fmt.Fprintf(stderr, "helpgen migrate: %v\n", err)
		return exitContent
	}
	if err := writeAtomic(dest, res.Config); err != nil {
		fmt.Fprintf(stderr, "helpgen migrate: cannot write %s: %v\n", dest, err)
		return exitContent
	}
	fmt.Fprintf(stdout, "wrote %s for %d regions; %d notes above\n", dest, len(*configs), len(res.Findings))
	return exitOK
}

// writeAtomic writes data to a temporary file beside dest and renames it.
func writeAtomic(dest string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".helpgen-migrate-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), dest)
}

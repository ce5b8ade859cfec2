package check

// site runs the checks that look at the whole site rather than one page.
func (c *checker) site() {}

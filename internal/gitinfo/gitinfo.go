// Package gitinfo reads when each file of a site was last changed from the
// git history of the folder holding it, for the "last updated" date of its
// pages.
package gitinfo

import (
	"bufio"
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Dates maps a file's path, relative to the site folder and with forward
// slashes (content/a/b.md), to the commit time of the last commit that
// changed it.
type Dates map[string]time.Time

// Load reads the history of dir's files with one `git log`. A folder that is
// not in a git work tree, or a machine without git, gives no dates and no
// error: the dates are an addition to the pages, never a reason to fail a
// build. Files not committed yet have no date. In a shallow clone the dates
// are those of the commits it holds.
func Load(ctx context.Context, dir string) Dates {
	if dir == "" {
		return nil
	}
	// --relative prints paths from dir; quotepath off keeps non-ASCII
	// names (Japanese file names) as they are.
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "-c", "core.quotepath=off", "log",
		"--relative", "--no-renames", "--name-only", "--format=%x00%ct", "--", ".")
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	return parse(out)
}

// parse reads `git log --name-only --format=%x00%ct`: newest commit first,
// each a NUL and its Unix time on one line, then the files it changed.
func parse(out []byte) Dates {
	d := Dates{}
	var when time.Time
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "\x00"); ok {
			if sec, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64); err == nil {
				when = time.Unix(sec, 0).UTC()
			}
			continue
		}
		if line == "" || when.IsZero() {
			continue
		}
		if _, seen := d[line]; !seen {
			d[line] = when
		}
	}
	return d
}

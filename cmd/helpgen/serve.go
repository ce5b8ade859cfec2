package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/helpgen/helpgen"
	"github.com/helpgen/helpgen/internal/serve"
)

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", "serve [-s SITE] [--port 1313] [--bind 127.0.0.1] [--allowed-hosts NAME,…] [-r JP,US] [flags]", stderr)
	site := fs.StringP("source", "s", ".", "site root (holds helpgen.toml and content/)")
	port := fs.IntP("port", "p", 1313, "port of the first region; region i (by code) gets port+i; 0 picks free ports")
	bind := fs.String("bind", "127.0.0.1", "address to listen on")
	regions := fs.StringSliceP("regions", "r", nil, "regions to serve, comma-separated (default all)")
	drafts := fs.Bool("drafts", false, "include pages with draft: true")
	allowed := fs.StringSlice("allowed-hosts", nil, "host names besides loopback and --bind that may reach the preview, comma-separated; .example.com allows a domain and its subdomains")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "helpgen serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := serve.Run(ctx, serve.Options{Site: *site, Defaults: helpgen.Defaults, Regions: *regions, Drafts: *drafts,
		Bind: *bind, Port: *port, Stdout: stdout, Stderr: stderr, AllowedHosts: *allowed})
	if err != nil {
		return report(stderr, err)
	}
	return exitOK
}

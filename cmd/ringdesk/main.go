// Command ringdesk runs the Ringdesk helpdesk and its tools.
//
//	ringdesk [serve] [flags]      run the helpdesk (default)
//	ringdesk migrate [flags]      apply database migrations and exit
//	ringdesk backup --out FILE    copy the SQLite database while Ringdesk runs
//	ringdesk user create|passwd|list
//	ringdesk token create --email EMAIL [--name NAME] [--expires 30d]
//	ringdesk uis-sim [flags]      run the UIS simulator
//	ringdesk archive migrate      move the data dir's archived recordings into the database
//	ringdesk reports rebuild      rebuild the call reports' rollups from the calls
//	ringdesk dev seed --tickets N --clients M
//	ringdesk version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	// The zone database is built in, so agents' time zones and the UIS
	// channels' zones work on hosts and images without tzdata.
	_ "time/tzdata"

	"github.com/ringdesk/ringdesk/internal/uis/uissim"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "ringdesk:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand; tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr, getenv)
	case "migrate":
		return migrate(ctx, args, stderr, getenv)
	case "backup":
		return backupCmd(ctx, args, stdout, stderr, getenv)
	case "user":
		return userCmd(ctx, args, stdout, stderr, getenv)
	case "token":
		return tokenCmd(ctx, args, stdout, stderr, getenv)
	case "uis-sim":
		return uissim.Main(ctx, args, stdout, stderr)
	case "archive":
		return archiveCmd(ctx, args, stdout, stderr, getenv)
	case "reports":
		return reportsCmd(ctx, args, stdout, stderr, getenv)
	case "dev":
		return devCmd(ctx, args, stdout, stderr, getenv)
	case "version":
		fmt.Fprintln(stdout, "ringdesk", versionString())
		return nil
	case "help":
		usage(stdout)
		return nil
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", cmd)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: ringdesk [command] [flags]

Commands:
  serve                     run the helpdesk (default)
  migrate                   apply database migrations and exit
  backup --out FILE         copy the SQLite database while Ringdesk runs (PostgreSQL: pg_dump)
  user create               create an agent (--email, --name, --role, --password)
  user passwd               set an agent's password (--email, --password)
  user list                 list agents
  token create              print a new API token (--email, --name, --expires 30d)
  uis-sim                   run the UIS simulator (see internal/uis/uissim/README.md)
  archive migrate           move recordings archived in the data dir into the database (the shared archive)
  reports rebuild           rebuild the call reports' per-hour rollups and call-back columns from the calls
  dev seed                  add demo clients and tickets (--tickets N --clients M)
  dev faults                run the fault suite against this binary (see docs/faults.md)
  version                   print the version

Run "ringdesk serve --help" for the common flags.
`)
}

// versionString is the -ldflags version, or the VCS revision of the build.
func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

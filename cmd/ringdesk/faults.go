package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ringdesk/ringdesk/internal/faults"
)

// faultsCmd is "ringdesk dev faults": the fault suite against this very
// binary (see docs/faults.md).
func faultsCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("dev faults", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", getenv("RINGDESK_DB"), "empty: SQLite; a postgres:// URL: kill and chaos in fresh schemas of it, the outage on a throwaway cluster [$RINGDESK_DB]")
	data := fs.String("data", "", "directory for each scenario's data and log (default: a temporary one, removed after a clean run)")
	calls := fs.Int("calls", 300, "calls per scenario")
	kills := fs.Int("kills", 5, "SIGKILLs in the kill scenario")
	scenario := fs.String("scenario", "all", "kill, outage, chaos, all, or a comma-separated list")
	outage := fs.Duration("outage", 20*time.Second, "how long the database stays away in the outage scenario")
	window := fs.Duration("window", 10*time.Second, "how long calls keep starting in each scenario (the kill scenario's is at least 3s per kill, the outage's is --outage longer)")
	seed := fs.Uint64("seed", 0, "random seed (0: random; printed)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "Usage of ringdesk dev faults:")
			fs.PrintDefaults()
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("dev faults: unexpected argument %q (see --help)", fs.Arg(0))
	}
	if *db != "" && !strings.HasPrefix(*db, "postgres://") && !strings.HasPrefix(*db, "postgresql://") {
		return fmt.Errorf("dev faults: invalid --db: must be empty (SQLite) or a postgres:// URL")
	}
	scenarios := faults.Scenarios
	if *scenario != "all" {
		scenarios = strings.Split(*scenario, ",")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	dir, temp := *data, false
	if dir == "" {
		if dir, err = os.MkdirTemp("", "ringdesk-faults-"); err != nil {
			return err
		}
		temp = true
	}
	if *seed == 0 {
		*seed = uint64(time.Now().UnixNano())
	}
	fmt.Fprintf(stderr, "fault suite: %s, seed %d, data in %s\n", strings.Join(scenarios, ", "), *seed, dir)
	_, err = faults.Run(ctx, faults.Options{Exe: exe, DB: *db, DataDir: dir, Calls: *calls, Kills: *kills,
		Outage: *outage, Window: *window, Seed: *seed, Log: stderr, Out: stdout}, scenarios)
	if err == nil && temp {
		os.RemoveAll(dir)
	} else if err != nil {
		fmt.Fprintf(stderr, "the scenarios' data and Ringdesk's logs are kept in %s\n", dir)
	}
	return err
}

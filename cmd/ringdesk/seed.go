package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/ringdesk/ringdesk/internal/store"
)

// devCmd holds developer tools: "dev seed" fills a database with realistic
// clients and tickets for demos and benchmarks; "dev faults" runs the fault
// suite.
func devCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) > 0 && args[0] == "faults" {
		return faultsCmd(ctx, args[1:], stdout, stderr, getenv)
	}
	if len(args) == 0 || args[0] != "seed" {
		return fmt.Errorf("dev: want seed or faults")
	}
	fs := flag.NewFlagSet("dev seed", flag.ContinueOnError)
	tickets := fs.Int("tickets", 1000, "tickets to add")
	clients := fs.Int("clients", 300, "clients to add (each with a phone number, every third with an email)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	_, db, err := openDesk(ctx, fs, args[1:], stderr, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	if *tickets < 0 || *clients < 0 {
		return fmt.Errorf("dev seed: --tickets and --clients must not be negative")
	}
	start := time.Now()
	last := time.Time{}
	err = db.Seed(ctx, store.SeedOptions{Clients: *clients, Tickets: *tickets, Seed: *seed,
		Progress: func(what string, done, total int) {
			if time.Since(last) > 2*time.Second || done == total {
				last = time.Now()
				fmt.Fprintf(stderr, "%s: %d/%d (%s)\n", what, done, total, time.Since(start).Round(time.Second))
			}
		}}, time.Now().UTC())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d clients and %d tickets in %s\n", *clients, *tickets, time.Since(start).Round(time.Millisecond))
	return nil
}

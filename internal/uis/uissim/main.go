package uissim

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// Main runs the `ringdesk uis-sim` subcommand: it serves the simulator on --addr until ctx
// ends, or, with --load, runs the load for --duration, waits for the deliveries and returns.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("uis-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8091", "listen address HOST:PORT")
	accountFile := fs.String("account", "", "account JSON file (default: the built-in demo account)")
	timeScale := fs.Float64("time-scale", 1, "real seconds per simulated second (0.01 = 100x faster)")
	loadRate := fs.Float64("load", 0, "load generator: calls per second (0 = off)")
	loadDur := fs.Duration("duration", time.Minute, "load generator: how long to run")
	stay := fs.Bool("stay", false, "with --load: keep serving after the load ended")
	notifyBase := fs.String("notify-base", "", "helpdesk base URL: install the four seed notifications POSTing to {base}/telephony/uis/webhook/{event}/")
	token := fs.String("channel-token", "", "channel token for the seed notifications (ud_channel_token)")
	mediaBase := fs.String("media-base-url", "", "base URL put in record_file_links (default: the simulator's own)")
	seed := fs.Uint64("seed", 0, "random seed (0 = random)")
	retries := fs.Int("retries", 0, "notification retries (0 = none, as UIS is not known to retry)")
	tlsAddr := fs.String("tls-addr", "", "also serve https on HOST:PORT with a self-signed certificate (recording redirects go there)")
	timeout := fs.Duration("timeout", 5*time.Second, "notification HTTP timeout")
	verbose := fs.Bool("v", false, "log every call and delivery")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("uis-sim: unexpected arguments %q", fs.Args())
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	cfg := Config{
		TimeScale: *timeScale, Seed: *seed, MediaBaseURL: *mediaBase,
		Logger:   slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
		Delivery: DeliveryConfig{Timeout: *timeout, Retries: *retries},
	}
	if *accountFile != "" {
		a, err := LoadAccount(*accountFile)
		if err != nil {
			return err
		}
		cfg.Account = a
	}
	sim, err := New(cfg)
	if err != nil {
		return err
	}
	defer sim.Close()
	if *notifyBase != "" {
		if err := sim.SetNotifications(append(sim.Notifications(), SeedNotifications(*notifyBase, *token)...)); err != nil {
			return err
		}
	}
	base, err := sim.Start(ctx, *addr)
	if err != nil {
		return err
	}
	printBanner(stdout, base, sim)
	if *tlsAddr != "" {
		tlsBase, err := sim.StartTLS(ctx, *tlsAddr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  HTTPS:     %s (self-signed certificate)\n", tlsBase)
	}
	if *loadRate > 0 {
		if err := sim.StartLoad(LoadSpec{Rate: *loadRate, Duration: Duration(*loadDur)}); err != nil {
			return err
		}
		if !*stay {
			select {
			case <-sim.LoadDone():
			case <-ctx.Done():
				return nil
			}
			n := sim.StopLoad()
			if err := sim.WaitIdle(ctx); err != nil && !errors.Is(err, context.Canceled) {
				return err
			}
			fmt.Fprintf(stdout, "load finished: %d calls, %d delivery attempts\n", n, len(sim.Deliveries(0)))
			return nil
		}
	}
	<-ctx.Done()
	return nil
}

func printBanner(w io.Writer, base string, sim *Simulator) {
	a := sim.Account()
	fmt.Fprintf(w, "UIS simulator listening on %s\n", base)
	fmt.Fprintf(w, "  Call API:  %s/v4.0\n  Data API:  %s/v2.0\n  Control:   %s/sim/v1/\n", base, base, base)
	fmt.Fprintf(w, "  app_id %d (%s, %s)\n", a.AppID, a.Name, a.Timezone)
	for _, k := range a.APIKeys {
		fmt.Fprintf(w, "  API key: %s\n", k.Key)
	}
	for _, e := range a.Employees {
		fmt.Fprintf(w, "  employee %d %s <%s> %s\n", e.ID, e.FullName(), e.Email, firstPhone(e))
	}
	for _, v := range a.VirtualNumbers {
		fmt.Fprintf(w, "  virtual number %s (%s)\n", v.Number, v.Name)
	}
	for _, n := range sim.Notifications() {
		fmt.Fprintf(w, "  notification %s %s -> %s %s\n", n.Event, n.Event.LKName(), n.Method, n.URL)
	}
}

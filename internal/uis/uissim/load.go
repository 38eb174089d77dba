package uissim

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// LoadSpec is a steady stream of realistic calls: Rate calls per real second for Duration.
type LoadSpec struct {
	Rate     float64  `json:"rate"`
	Duration Duration `json:"duration"`
	// MaxTalkSeconds caps the simulated talk time of generated calls
	// (0: 310 s; otherwise 10 s to a day); shorter calls free employees sooner.
	MaxTalkSeconds int64 `json:"max_talk_seconds,omitempty"`
	// Calls, when positive, ends the run after this many calls (or Duration, whichever
	// comes first).
	Calls int `json:"calls,omitempty"`
}

// Load generator bounds keep a typo from flooding the helpdesk.
const (
	maxLoadRate     = 200
	maxLoadDuration = 24 * time.Hour
	minLoadTalk     = 10
	maxLoadTalk     = 24 * 3600
)

type loadRun struct {
	cancel  context.CancelFunc
	done    chan struct{}
	started int
}

var (
	firstNames = []string{"Александр", "Мария", "Дмитрий", "Елена", "Сергей", "Ольга", "Андрей", "Наталья", "Михаил", "Татьяна", "Игорь", "Светлана"}
	lastNames  = []string{"Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Волков", "Зайцев", "Павлов", "Семёнов", "Голубев"}
	mobileDEF  = []string{"916", "926", "903", "905", "915", "925", "985", "999", "977", "921"}
)

// StartLoad starts the load generator; it stops by itself after spec.Duration, on StopLoad or
// on Close. Only the configured notification URLs receive traffic.
func (s *Simulator) StartLoad(spec LoadSpec) error {
	if spec.Rate <= 0 || spec.Rate > maxLoadRate {
		return inputErr("rate must be within (0, %d] calls per second", maxLoadRate)
	}
	if d := time.Duration(spec.Duration); d <= 0 || d > maxLoadDuration {
		return inputErr("duration must be within (0, %s]", maxLoadDuration)
	}
	if spec.Calls < 0 {
		return inputErr("calls must not be negative")
	}
	if t := spec.MaxTalkSeconds; t != 0 && (t < minLoadTalk || t > maxLoadTalk) {
		return inputErr("max_talk_seconds must be 0 (the default, 310) or within [%d, %d]", minLoadTalk, maxLoadTalk)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("uissim: simulator closed")
	}
	if s.load != nil {
		select {
		case <-s.load.done:
		default:
			return inputErr("a load run is already in progress")
		}
	}
	ctx, cancel := context.WithTimeout(s.ctx, time.Duration(spec.Duration))
	run := &loadRun{cancel: cancel, done: make(chan struct{})}
	s.load = run
	s.wg.Add(1)
	go s.runLoad(ctx, run, spec.Rate, spec.MaxTalkSeconds, spec.Calls)
	s.log.Info("uissim: load started", "rate", spec.Rate, "duration", time.Duration(spec.Duration))
	return nil
}

// StopLoad stops the load generator and returns how many calls the last run started.
func (s *Simulator) StopLoad() int {
	s.mu.Lock()
	run := s.load
	s.mu.Unlock()
	if run == nil {
		return 0
	}
	run.cancel()
	<-run.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return run.started
}

// LoadDone is closed when the current load run ends (nil when none was started).
func (s *Simulator) LoadDone() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.load == nil {
		return nil
	}
	return s.load.done
}

func (s *Simulator) runLoad(ctx context.Context, run *loadRun, rate float64, maxTalk int64, calls int) {
	defer s.wg.Done()
	defer close(run.done)
	defer run.cancel()
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s.mu.Lock()
		spec := s.randomSpecLocked(maxTalk)
		s.mu.Unlock()
		if _, err := s.StartCall(ctx, spec); err != nil {
			s.log.Warn("uissim: load call", "err", err)
			continue
		}
		s.mu.Lock()
		run.started++
		enough := calls > 0 && run.started >= calls
		s.mu.Unlock()
		if enough {
			return
		}
	}
}

// randomSpecLocked draws a realistic call: half answered, a fifth missed, a tenth
// transferred, a fifth outgoing; Russian names ("Фамилия Имя", as UIS shows
// contacts), +7 9xx mobile numbers, talk up to maxTalk seconds (0: 310).
// Only free employees take or place calls: when everyone is on a call, an
// incoming call is missed and no outgoing call is placed.
func (s *Simulator) randomSpecLocked(maxTalk int64) CallSpec {
	if maxTalk < 10 {
		maxTalk = 310
	}
	r := s.rng
	num := "7" + mobileDEF[r.IntN(len(mobileDEF))] + fmt.Sprintf("%07d", r.IntN(10_000_000))
	fn, ln := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	if strings.HasSuffix(fn, "я") || strings.HasSuffix(fn, "а") { // feminine name, feminine surname
		ln += "а"
	}
	spec := CallSpec{
		ContactNumber: num, ContactName: ln + " " + fn,
		VirtualNumber: s.acct.VirtualNumbers[r.IntN(len(s.acct.VirtualNumbers))].Number,
		WaitSeconds:   int64(2 + r.IntN(20)), TalkSeconds: 10 + r.Int64N(maxTalk-9),
	}
	now := s.cfg.Now()
	var free []Employee
	for _, e := range s.acct.Employees {
		if !now.Before(s.busyUntil[e.ID]) {
			free = append(free, e)
		}
	}
	p := r.IntN(10)
	switch {
	case len(free) == 0 || (p >= 5 && p < 7):
		spec.Kind, spec.EmployeeIDs = KindIncomingMissed, nil
		return spec
	case p < 5:
		spec.Kind, spec.EmployeeIDs = KindIncomingAnswered, []int64{free[r.IntN(len(free))].ID}
	case p < 8 && len(free) > 1:
		i := r.IntN(len(free))
		j := (i + 1 + r.IntN(len(free)-1)) % len(free)
		spec.Kind, spec.EmployeeIDs = KindIncomingTransfer, []int64{free[i].ID, free[j].ID}
	default:
		spec.Kind, spec.EmployeeIDs = KindOutgoing, []int64{free[r.IntN(len(free))].ID}
		spec.Outcome = []string{OutcomeAnswered, OutcomeAnswered, OutcomeBusy, OutcomeNoAnswer}[r.IntN(4)]
	}
	// Busy from now until the call ends, with a few seconds to wrap up.
	end := now.Add(s.realDuration(float64(spec.WaitSeconds + spec.TalkSeconds + 5)))
	for _, id := range spec.EmployeeIDs {
		s.busyUntil[id] = end
	}
	return spec
}

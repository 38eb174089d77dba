package live

import "testing"

func TestBrokerDeliversAndFilters(t *testing.T) {
	b := NewBroker()
	a1, a2 := b.Subscribe(1), b.Subscribe(2)
	defer a1.Close()
	defer a2.Close()
	b.Publish(Event{Name: "call", Data: []byte(`{}`)})
	b.Publish(Event{Name: "mine", Data: []byte(`{}`), Agents: []int64{2}})
	if ev := <-a1.Events(); ev.Name != "call" {
		t.Fatalf("agent 1 got %q", ev.Name)
	}
	select {
	case ev := <-a1.Events():
		t.Fatalf("agent 1 got %q meant for agent 2", ev.Name)
	default:
	}
	if ev := <-a2.Events(); ev.Name != "call" {
		t.Fatalf("agent 2 got %q first", ev.Name)
	}
	if ev := <-a2.Events(); ev.Name != "mine" {
		t.Fatalf("agent 2 got %q second", ev.Name)
	}
	if b.Subscribers() != 2 {
		t.Fatalf("subscribers %d", b.Subscribers())
	}
}

func TestSlowSubscriberIsDropped(t *testing.T) {
	b := NewBroker()
	slow := b.Subscribe(1)
	fast := b.Subscribe(2)
	defer fast.Close()
	for i := 0; i < Buffer+1; i++ {
		b.Publish(Event{Name: "call"})
		<-fast.Events()
	}
	n := 0
	for range slow.Events() {
		n++
	}
	if n != Buffer {
		t.Fatalf("slow subscriber got %d events before being dropped, want %d", n, Buffer)
	}
	if b.Subscribers() != 1 {
		t.Fatalf("subscribers %d after drop", b.Subscribers())
	}
	slow.Close() // closing a dropped subscription is harmless
}

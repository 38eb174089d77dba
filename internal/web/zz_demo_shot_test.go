package web_test

import (
	"os"
	"testing"

	"github.com/ringdesk/ringdesk/internal/browsertest"
)

func TestZZDemoShots(t *testing.T) {
	base := os.Getenv("RD_DEMO_URL")
	if base == "" {
		t.Skip()
	}
	p := browsertest.New(t, base)
	p.Viewport(1280, 800)
	p.Login("supervisor@example.com", "demo-agent")
	p.Go("/reports?period=7d")
	p.Screenshot("demo-7d-1280")
	p.Eval(`document.getElementById("chart-hours").scrollIntoView()`)
	p.Screenshot("demo-7d-1280-hours")
	p.Eval(`document.getElementById("chart-days").scrollIntoView()`)
	p.Screenshot("demo-7d-1280-days")
	p.Eval(`document.getElementById("agents").scrollIntoView()`)
	p.Screenshot("demo-7d-1280-agents")
	p.Viewport(390, 844)
	p.Go("/reports?period=7d")
	p.Eval(`document.getElementById("chart-days").scrollIntoView()`)
	p.Screenshot("demo-7d-390-days")
	p.Go("/wallboard")
	p.Viewport(1920, 1080)
	p.Screenshot("demo-wallboard")
}

package web

import "net/http"

// routes lists every route of Ringdesk, grouped by resource.
func (s *Server) routes(m *http.ServeMux) {
	mux := &routeMux{mux: m, patterns: &s.patterns}
	// Health checks and static assets: no login.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	// Prometheus metrics: 404 unless a metrics token is set, then that
	// bearer token (not a login) opens it.
	mux.HandleFunc("GET /metrics", s.metricsPage)
	mux.HandleFunc("GET /static/{name}", s.assets.serve)
	// The API's description: no secret in it, so readable before logging
	// in; every API call itself stays authenticated.
	mux.HandleFunc("GET /api/v1/openapi.json", s.apiOpenAPI)
	mux.HandleFunc("GET /docs/api", s.apiDocs)

	// UIS webhooks: authorised by the channel token in the body.
	mux.HandleFunc("/telephony/uis/webhook/{kind}", s.uisWebhook)
	mux.HandleFunc("/telephony/uis/webhook/{kind}/", s.uisWebhook)

	// Login.
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.authed(s.logout))

	// Pages: a browser session only (API tokens open /api/ alone, see authenticate).
	mux.HandleFunc("GET /{$}", s.authed(s.home))
	mux.HandleFunc("GET /profile", s.authed(s.profile))
	mux.HandleFunc("POST /profile", s.authed(s.profileUpdate))
	mux.HandleFunc("POST /profile/password", s.authed(s.profilePassword))
	mux.HandleFunc("POST /profile/tokens", s.authed(s.profileTokenCreate))
	mux.HandleFunc("POST /profile/tokens/{id}/delete", s.authed(s.profileTokenDelete))

	mux.HandleFunc("GET /agents", s.admin(s.agentsList))
	mux.HandleFunc("GET /agents/new", s.admin(s.agentNew))
	mux.HandleFunc("POST /agents", s.admin(s.agentCreate))
	mux.HandleFunc("GET /agents/{id}", s.admin(s.agentEdit))
	mux.HandleFunc("POST /agents/{id}", s.admin(s.agentUpdate))
	mux.HandleFunc("POST /agents/{id}/password", s.admin(s.agentSetPassword))

	mux.HandleFunc("GET /groups", s.admin(s.groupsList))
	mux.HandleFunc("POST /groups", s.admin(s.groupCreate))
	mux.HandleFunc("GET /groups/{id}", s.admin(s.groupEdit))
	mux.HandleFunc("POST /groups/{id}", s.admin(s.groupUpdate))
	mux.HandleFunc("GET /groups/{id}/delete", s.admin(s.groupDeleteConfirm))
	mux.HandleFunc("POST /groups/{id}/delete", s.admin(s.groupDelete))
	mux.HandleFunc("POST /profile/available", s.authed(s.availableSwitch))

	mux.HandleFunc("GET /canned-replies", s.authed(s.cannedList))
	mux.HandleFunc("GET /canned-replies/new", s.authed(s.cannedNew))
	mux.HandleFunc("POST /canned-replies", s.authed(s.cannedCreate))
	mux.HandleFunc("GET /canned-replies/{id}", s.authed(s.cannedEdit))
	mux.HandleFunc("POST /canned-replies/{id}", s.authed(s.cannedUpdate))
	mux.HandleFunc("POST /canned-replies/{id}/delete", s.authed(s.cannedDelete))

	mux.HandleFunc("GET /clients", s.authed(s.clientsList))
	mux.HandleFunc("GET /clients/new", s.authed(s.clientNew))
	mux.HandleFunc("POST /clients", s.authed(s.clientCreate))
	mux.HandleFunc("GET /clients/{id}", s.authed(s.clientShow))
	mux.HandleFunc("GET /clients/{id}/edit", s.authed(s.clientEdit))
	mux.HandleFunc("POST /clients/{id}", s.authed(s.clientUpdate))
	mux.HandleFunc("GET /clients/{id}/merge", s.authed(s.clientMerge))
	mux.HandleFunc("POST /clients/{id}/merge", s.authed(s.clientMergePost))
	mux.HandleFunc("GET /calls", s.authed(s.callsList))
	mux.HandleFunc("POST /calls", s.authed(s.callStart))
	mux.HandleFunc("GET /calls/{id}", s.authed(s.callShow))
	mux.HandleFunc("GET /calls/{id}/recordings/{n}", s.authed(s.callRecording))

	// Call reports and the wallboard: supervisors and administrators.
	mux.HandleFunc("GET /reports", s.supervisor(s.reportsPage))
	mux.HandleFunc("GET /reports/calls.csv", s.supervisor(s.reportsCSV))
	mux.HandleFunc("GET /wallboard", s.supervisor(s.wallboard))
	mux.HandleFunc("GET /wallboard/data", s.supervisor(s.wallboardData))
	mux.HandleFunc("GET /wallboard/live", s.supervisor(s.wallboardLive))

	// Live updates (Server-Sent Events).
	mux.HandleFunc("GET /live", s.authed(s.live))
	mux.HandleFunc("GET /channels", s.admin(s.channelsList))
	mux.HandleFunc("GET /channels/new", s.admin(s.channelNew))
	mux.HandleFunc("POST /channels", s.admin(s.channelCreate))
	mux.HandleFunc("GET /channels/{id}", s.admin(s.channelEdit))
	mux.HandleFunc("POST /channels/{id}", s.admin(s.channelUpdate))
	mux.HandleFunc("POST /channels/{id}/tokens", s.admin(s.channelTokenCreate))
	mux.HandleFunc("POST /channels/{id}/tokens/{token_id}/revoke", s.admin(s.channelTokenRevoke))
	mux.HandleFunc("POST /channels/{id}/check", s.admin(s.channelCheck))
	mux.HandleFunc("POST /channels/{id}/routing", s.admin(s.channelRouting))
	mux.HandleFunc("POST /channels/{id}/reconcile", s.admin(s.channelReconcile))
	mux.HandleFunc("POST /channels/employees/{employee_id}/link", s.admin(s.employeeLink))
	mux.HandleFunc("GET /channels/{id}/employees", s.admin(s.channelEmployees))
	mux.HandleFunc("POST /channels/{id}/employees/{employee_id}/link", s.admin(s.channelEmployeeLink))
	mux.HandleFunc("GET /channels/dead-letters", s.admin(s.deadLetters))
	mux.HandleFunc("POST /channels/dead-letters/{id}/replay", s.admin(s.deadLetterReplay))
	mux.HandleFunc("GET /channels/{id}/setup", s.admin(s.channelSetup))
	mux.HandleFunc("POST /channels/{id}/setup", s.admin(s.channelSetupToken))
	mux.HandleFunc("GET /tickets", s.authed(s.ticketsList))
	mux.HandleFunc("POST /tickets/bulk", s.authed(s.ticketsBulk))
	mux.HandleFunc("GET /tickets/new", s.authed(s.ticketNew))
	mux.HandleFunc("POST /tickets", s.authed(s.ticketCreate))
	mux.HandleFunc("GET /tickets/{id}", s.authed(s.ticketShow))
	mux.HandleFunc("POST /tickets/{id}", s.authed(s.ticketUpdate))
	mux.HandleFunc("POST /tickets/{id}/comments", s.authed(s.ticketComment))
	mux.HandleFunc("POST /tickets/{id}/missed-handled", s.authed(s.ticketMissedHandled))
	mux.HandleFunc("POST /tickets/{id}/replies/{event_id}/retry", s.authed(s.ticketReplyRetry))
	mux.HandleFunc("POST /tickets/{id}/client-email", s.authed(s.ticketClientEmail))
	mux.HandleFunc("GET /mail/{id}/attachments/{idx}", s.authed(s.mailAttachment))
	mux.HandleFunc("GET /mail/{id}/raw", s.authed(s.mailRaw))

	// JSON API: an API token or a browser session.
	mux.HandleFunc("GET /api/v1/me", s.authed(s.apiMe))
	mux.HandleFunc("PATCH /api/v1/me", s.authed(s.apiMeUpdate))
	mux.HandleFunc("GET /api/v1/me/tokens", s.authed(s.apiMyTokens))
	mux.HandleFunc("POST /api/v1/me/tokens", s.authed(s.apiMyTokenCreate))
	mux.HandleFunc("DELETE /api/v1/me/tokens/{id}", s.authed(s.apiMyTokenRevoke))
	mux.HandleFunc("GET /api/v1/agents", s.authed(s.apiAgents))
	mux.HandleFunc("GET /api/v1/agents/{id}", s.authed(s.apiAgent))
	mux.HandleFunc("POST /api/v1/agents", s.admin(s.apiAgentCreate))
	mux.HandleFunc("PATCH /api/v1/agents/{id}", s.admin(s.apiAgentUpdate))
	mux.HandleFunc("GET /api/v1/groups", s.authed(s.apiGroups))
	mux.HandleFunc("POST /api/v1/groups", s.admin(s.apiGroupCreate))
	mux.HandleFunc("GET /api/v1/groups/{id}", s.authed(s.apiGroup))
	mux.HandleFunc("PATCH /api/v1/groups/{id}", s.admin(s.apiGroupUpdate))
	mux.HandleFunc("DELETE /api/v1/groups/{id}", s.admin(s.apiGroupDelete))
	mux.HandleFunc("GET /api/v1/channels", s.admin(s.apiChannels))
	mux.HandleFunc("POST /api/v1/channels", s.admin(s.apiChannelCreate))
	mux.HandleFunc("GET /api/v1/channels/{id}", s.admin(s.apiChannel))
	mux.HandleFunc("PATCH /api/v1/channels/{id}", s.admin(s.apiChannelUpdate))
	mux.HandleFunc("GET /api/v1/channels/{id}/tokens", s.admin(s.apiChannelTokens))
	mux.HandleFunc("POST /api/v1/channels/{id}/tokens", s.admin(s.apiChannelTokenCreate))
	mux.HandleFunc("DELETE /api/v1/channels/{id}/tokens/{token_id}", s.admin(s.apiChannelTokenRevoke))
	mux.HandleFunc("GET /api/v1/channels/{id}/employees", s.admin(s.apiChannelEmployees))
	mux.HandleFunc("POST /api/v1/channels/{id}/employees/{employee_id}/link", s.admin(s.apiChannelEmployeeLink))

	mux.HandleFunc("GET /api/v1/clients", s.authed(s.apiClients))
	mux.HandleFunc("POST /api/v1/clients", s.authed(s.apiClientCreate))
	mux.HandleFunc("GET /api/v1/clients/{id}", s.authed(s.apiClient))
	mux.HandleFunc("PATCH /api/v1/clients/{id}", s.authed(s.apiClientUpdate))
	mux.HandleFunc("POST /api/v1/clients/{id}/merge", s.authed(s.apiClientMerge))

	mux.HandleFunc("GET /api/v1/tickets", s.authed(s.apiTickets))
	mux.HandleFunc("POST /api/v1/tickets", s.authed(s.apiTicketCreate))
	mux.HandleFunc("POST /api/v1/tickets/bulk", s.authed(s.apiTicketsBulk))
	mux.HandleFunc("GET /api/v1/tickets/{id}", s.authed(s.apiTicket))
	mux.HandleFunc("PATCH /api/v1/tickets/{id}", s.authed(s.apiTicketUpdate))
	mux.HandleFunc("GET /api/v1/tickets/{id}/events", s.authed(s.apiTicketEvents))
	mux.HandleFunc("POST /api/v1/tickets/{id}/comments", s.authed(s.apiTicketComment))
	mux.HandleFunc("POST /api/v1/tickets/{id}/missed-handled", s.authed(s.apiTicketMissedHandled))
	mux.HandleFunc("POST /api/v1/tickets/{id}/events/{event_id}/retry", s.authed(s.apiReplyRetry))
	mux.HandleFunc("GET /api/v1/mail/{id}/attachments/{idx}", s.authed(s.mailAttachment))
	mux.HandleFunc("GET /api/v1/mail/{id}/raw", s.authed(s.mailRaw))

	mux.HandleFunc("GET /api/v1/reports/calls", s.authed(s.apiCallReport))

	mux.HandleFunc("GET /api/v1/canned_replies", s.authed(s.apiCannedReplies))
	mux.HandleFunc("POST /api/v1/canned_replies", s.authed(s.apiCannedReplyCreate))
	mux.HandleFunc("GET /api/v1/canned_replies/{id}", s.authed(s.apiCannedReply))
	mux.HandleFunc("PATCH /api/v1/canned_replies/{id}", s.authed(s.apiCannedReplyUpdate))
	mux.HandleFunc("DELETE /api/v1/canned_replies/{id}", s.authed(s.apiCannedReplyDelete))
	mux.HandleFunc("GET /api/v1/tickets/{id}/canned_replies", s.authed(s.apiTicketCannedReplies))

	mux.HandleFunc("GET /api/v1/calls", s.authed(s.apiCalls))
	mux.HandleFunc("GET /api/v1/calls/{id}", s.authed(s.apiCall))
	mux.HandleFunc("GET /api/v1/calls/{id}/recordings/{n}", s.authed(s.callRecording))
	mux.HandleFunc("POST /api/v1/calls", s.authed(s.apiCallStart))

	// Everything else.
	mux.HandleFunc("/api/", s.authed(s.notFound))
	mux.HandleFunc("/", s.notFound)
}

// routeMux registers routes and remembers their patterns, so a test can
// check the OpenAPI document against the routes that really exist.
type routeMux struct {
	mux      *http.ServeMux
	patterns *[]string
}

func (m *routeMux) HandleFunc(pattern string, h http.HandlerFunc) {
	*m.patterns = append(*m.patterns, pattern)
	m.mux.HandleFunc(pattern, h)
}

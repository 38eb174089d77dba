package desk

import "github.com/ringdesk/ringdesk/internal/mail"

// mailAdvice is what to fix for each problem a mailbox check names
// (mail.ProblemCode), in English; the web layer translates it.
var mailAdvice = map[mail.ProblemCode]string{
	mail.ProblemConfig:         "The server name or port is missing, or the TLS mode is unknown: fill in the settings.",
	mail.ProblemDNS:            "The server name cannot be found (DNS lookup failed): check its spelling.",
	mail.ProblemRefused:        "The server refused the connection: check the port, and that the server takes connections from Ringdesk's address.",
	mail.ProblemTimeout:        "The server did not answer in time: check the server name and port, and any firewall between.",
	mail.ProblemNetwork:        "The server cannot be reached: check the server name, the port and the network.",
	mail.ProblemTLSCertificate: "The server's certificate is not trusted or is for another name: use the name on the certificate.",
	mail.ProblemTLS:            "The secure connection failed: check the TLS mode (TLS for ports 993 and 465, STARTTLS for 143 and 587).",
	mail.ProblemProtocol:       "The server does not speak the expected protocol on this port: check the port and the TLS mode.",
	mail.ProblemLogin:          "The IMAP server refused the login: check the login and password (some providers need an app password).",
	mail.ProblemFolder:         "The folder does not exist on the server: check its name (usually INBOX).",
	mail.ProblemSMTPAuth:       "The SMTP server refused the login: check the SMTP login and password.",
	mail.ProblemSMTPNoAuth:     "The SMTP server offers no login Ringdesk can use: try the TLS or STARTTLS mode, or leave the SMTP password empty.",
	mail.ProblemSMTPStartTLS:   "The SMTP server does not offer STARTTLS: choose TLS with port 465, or no TLS for a local relay.",
	mail.ProblemIMAPNoStartTLS: "The IMAP server does not offer STARTTLS: choose TLS with port 993.",
	mail.ProblemServer:         "The server refused the request: see its words below.",
	mail.ProblemCanceled:       "The check was interrupted: try again.",
}

package ringdesk

// replyDelivery tells, per channel type, whether Ringdesk itself sends an
// agent's public reply to the client. UIS is telephony only: Ringdesk sends
// no email or SMS, so a reply is kept in the ticket and reaches the client
// only through the API or an integration.
var replyDelivery = map[string]bool{
	ChannelTypeUIS: false,
}

// DeliversReplies reports whether a public reply on a ticket of a channel of
// type channelType reaches the client; "" (a ticket without a channel) and
// unknown types do not.
func DeliversReplies(channelType string) bool { return replyDelivery[channelType] }

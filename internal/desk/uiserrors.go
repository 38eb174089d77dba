package desk

import (
	"context"
	"errors"
	"net"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/uis"
)

// uisAdvice is what an administrator should do about one UIS error, in
// both UI languages.
type uisAdvice struct{ en, ru string }

// uisAdviceByMnemonic maps UIS error mnemonics to advice.
var uisAdviceByMnemonic = map[string]uisAdvice{
	"ip_not_whitelisted": {
		"UIS refused the request because Ringdesk's IP address is not on the API whitelist. In UIS open Settings → Security (API access) and add the public IP address this server reaches the internet from. Use 0.0.0.0/0 (any address) only if that address changes: the API key then works from anywhere, so keep it secret.",
		"UIS отклонил запрос: IP-адреса Ringdesk нет в белом списке API. В UIS откройте Настройки → Безопасность (доступ к API) и добавьте внешний IP-адрес, с которого этот сервер выходит в интернет. 0.0.0.0/0 (любой адрес) указывайте, только если этот адрес меняется: тогда ключ API работает откуда угодно, храните его в тайне.",
	},
	"access_token_invalid": {
		"UIS does not know this App Secret. Create an API key in UIS (Settings → API keys; it is shown only once) and paste it into the channel's App Secret field.",
		"UIS не знает этот App Secret. Создайте API-ключ в UIS (Настройки → API-ключи; он показывается только один раз) и вставьте его в поле App Secret канала.",
	},
	"access_token_expired": {
		"The UIS API key has expired. Create a new API key in UIS (or extend the old one) and paste it into the channel's App Secret field.",
		"Срок действия API-ключа UIS истёк. Создайте новый ключ в UIS (или продлите старый) и вставьте его в поле App Secret канала.",
	},
	"access_token_blocked": {
		"The UIS API key is blocked. Unblock it in UIS, or create a new API key and paste it into the channel's App Secret field.",
		"API-ключ UIS заблокирован. Разблокируйте его в UIS или создайте новый ключ и вставьте его в поле App Secret канала.",
	},
	"account_inactive": {
		"The UIS account is disabled. Contact UIS support or your UIS manager (often an unpaid balance); Ringdesk cannot call UIS until the account is active.",
		"Аккаунт UIS отключён. Обратитесь в поддержку UIS или к своему менеджеру (часто причина в балансе); пока аккаунт не активен, Ringdesk не может обращаться к UIS.",
	},
	"component_disabled": {
		"A UIS option this needs is not enabled on the account. In UIS enable the API option (\"API Базовый\", and call management for click-to-call), or ask your UIS manager to.",
		"В аккаунте UIS не подключена нужная опция. Подключите в UIS опцию API («API Базовый», а для звонков из Ringdesk — управление звонками) или попросите об этом менеджера UIS.",
	},
	"forbidden": {
		"The UIS API key has no rights for this API. In UIS give the key's user access to both the Call API and the Data API, or create a key for a user who has it.",
		"У API-ключа UIS нет прав на этот API. В UIS дайте пользователю ключа доступ к Call API и Data API или создайте ключ для пользователя с такими правами.",
	},
	"limit_exceeded": {
		"The UIS API request limit is used up. Wait a minute (or until tomorrow for the daily limit) and try again; if it keeps happening, ask UIS to raise the limits.",
		"Исчерпан лимит запросов к API UIS. Подождите минуту (или до завтра, если исчерпан дневной лимит) и повторите; если это повторяется, попросите UIS увеличить лимиты.",
	},
	"internal_error": {
		"UIS had an internal error. Try again in a few minutes; if it persists, contact UIS support.",
		"Внутренняя ошибка UIS. Повторите через несколько минут; если ошибка не проходит, обратитесь в поддержку UIS.",
	},
}

func init() {
	uisAdviceByMnemonic["method_component_disabled"] = uisAdviceByMnemonic["component_disabled"]
	uisAdviceByMnemonic["parameter_component_disabled"] = uisAdviceByMnemonic["component_disabled"]
}

var (
	adviceTimeout = uisAdvice{
		"UIS did not answer in time. Check that this server can reach the Call API and Data API URLs of the channel (firewall, proxy, DNS) and try again.",
		"UIS не ответил вовремя. Проверьте, что этот сервер может связаться с адресами Call API и Data API канала (файрвол, прокси, DNS), и повторите.",
	}
	adviceUnreachable = uisAdvice{
		"UIS could not be reached. Check the Call API and Data API URLs of the channel and that this server has Internet access to them (firewall, proxy, DNS).",
		"Не удалось связаться с UIS. Проверьте адреса Call API и Data API канала и доступ этого сервера к ним из интернета (файрвол, прокси, DNS).",
	}
	adviceBadAnswer = uisAdvice{
		"The address answered, but not as the UIS API does. Check the channel's Call API and Data API URLs (defaults: https://callapi.uiscom.ru/v4.0 and https://dataapi.uiscom.ru/v2.0).",
		"По адресу ответил сервер, но не как API UIS. Проверьте адреса Call API и Data API канала (по умолчанию https://callapi.uiscom.ru/v4.0 и https://dataapi.uiscom.ru/v2.0).",
	}
	adviceNoSecret = uisAdvice{
		"The channel has no App Secret. Create an API key in UIS and paste it into the channel's App Secret field.",
		"У канала не задан App Secret. Создайте API-ключ в UIS и вставьте его в поле App Secret канала.",
	}
	adviceUnreadable = uisAdvice{
		"The stored App Secret cannot be decrypted: the secret key changed (RINGDESK_SECRET_KEY, or the key file in the data directory). Enter the App Secret again and save.",
		"Сохранённый App Secret не удаётся расшифровать: изменился секретный ключ (RINGDESK_SECRET_KEY или файл ключа в каталоге данных). Введите App Secret заново и сохраните.",
	}
	adviceOther = uisAdvice{
		"UIS refused the request. Read UIS's message above; if it is unclear, contact UIS support with it.",
		"UIS отклонил запрос. Прочитайте сообщение UIS выше; если оно непонятно, обратитесь с ним в поддержку UIS.",
	}
)

// ErrNoAppSecret is returned when a channel that must call UIS has no App
// Secret stored.
var ErrNoAppSecret = &ringdesk.Error{Code: ringdesk.EINVALID, Message: "The channel has no App Secret.",
	Fields: map[string]string{"app_secret": "The channel has no App Secret."}}

// ErrSecretUnreadable is returned when a stored App Secret cannot be
// decrypted with the secret key in force.
var ErrSecretUnreadable = ringdesk.Errorf(ringdesk.EINTERNAL, "The App Secret cannot be decrypted; was RINGDESK_SECRET_KEY changed? Enter the App Secret again.")

// UISAdvice tells an administrator, in lang ("ru" or "en"), what to do about
// an error from calling UIS: a UIS error by its mnemonic, a network failure
// or timeout, a wrong URL, or a missing or unreadable App Secret. It
// returns "" for nil.
func UISAdvice(err error, lang string) string {
	if err == nil {
		return ""
	}
	a := adviceFor(err)
	if lang == ringdesk.LangRU {
		return a.ru
	}
	return a.en
}

func adviceFor(err error) uisAdvice {
	var ue *uis.Error
	if errors.As(err, &ue) {
		if a, ok := uisAdviceByMnemonic[ue.Mnemonic]; ok {
			return a
		}
		return adviceOther
	}
	if errors.Is(err, ErrNoAppSecret) {
		return adviceNoSecret
	}
	if errors.Is(err, ErrSecretUnreadable) {
		return adviceUnreadable
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return adviceTimeout
	}
	var te *uis.TransportError
	if errors.As(err, &te) && te.Status != 0 {
		return adviceBadAnswer
	}
	if errors.Is(err, uis.ErrUnavailable) {
		return adviceUnreachable
	}
	return adviceOther
}

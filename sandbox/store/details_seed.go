package store

// detailsDDL is migration 4's tables. Rerunnable (IF NOT EXISTS, INSERT OR IGNORE) because a
// bulk seed applies it before the deferred index migrations and records the version last.
const detailsDDL = `
	CREATE TABLE IF NOT EXISTS custom_fields (
		id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, slug TEXT NOT NULL UNIQUE COLLATE NOCASE,
		description TEXT, data_type TEXT NOT NULL, allowed_values TEXT);
	CREATE TABLE IF NOT EXISTS tags (
		id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, description TEXT, color_code TEXT, emoji TEXT);
	CREATE TABLE IF NOT EXISTS lifecycle_stages (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
	CREATE TABLE IF NOT EXISTS templates (
		id INTEGER PRIMARY KEY, channel_id INTEGER NOT NULL, name TEXT NOT NULL, language_code TEXT NOT NULL,
		category TEXT NOT NULL, status TEXT NOT NULL, namespace TEXT NOT NULL, components TEXT NOT NULL,
		UNIQUE (channel_id, name, language_code));
`

// detailsSeedSQL is the workspace's definitions: the custom fields the contact seed fills (and
// a few more, one of each data type), the tags it uses, the lifecycle stages, and the WhatsApp
// templates of the WhatsApp channel (31): several approved, one pending, one rejected, in more
// than one language, with body parameters, header media and buttons.
const detailsSeedSQL = `
	INSERT OR IGNORE INTO custom_fields (id, name, slug, description, data_type, allowed_values) VALUES
		(1, 'order_id', 'order_id', 'Last order number', 'text', NULL),
		(2, 'loyalty_points', 'loyalty_points', 'Loyalty programme balance', 'number', NULL),
		(3, 'newsletter_opt_in', 'newsletter_opt_in', 'Agreed to receive the newsletter', 'checkbox', NULL),
		(4, 'referral_code', 'referral_code', NULL, 'text', NULL),
		(5, 'plan', 'plan', 'Subscription plan', 'list', '["Free","Pro","Enterprise"]'),
		(6, 'birthday', 'birthday', NULL, 'date', NULL),
		(7, 'website', 'website', 'Company website', 'url', NULL),
		(8, 'billing_email', 'billing_email', 'Where invoices go', 'email', NULL),
		(9, 'preferred_time', 'preferred_time', 'Best time to call', 'time', NULL);
	INSERT OR IGNORE INTO tags (id, name, description, color_code, emoji) VALUES
		(1, 'vip', 'High-value customer', '#FFD700', '⭐'), (2, 'wholesale', NULL, NULL, NULL),
		(3, 'returning', NULL, NULL, NULL), (4, 'complaint', 'Open complaint', '#FF0000', NULL),
		(5, 'newsletter', NULL, NULL, NULL), (6, 'b2b', NULL, NULL, NULL);
	INSERT OR IGNORE INTO lifecycle_stages (id, name) VALUES
		(1, 'New Lead'), (2, 'Hot Lead'), (3, 'Payment'), (4, 'Customer'), (5, 'Churned');
	INSERT OR IGNORE INTO templates (id, channel_id, name, language_code, category, status, namespace, components) VALUES
		(501, 31, 'order_update', 'en', 'UTILITY', 'APPROVED', 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		 '[{"type":"HEADER","format":"TEXT","text":"Order update"},{"type":"BODY","text":"Hi {{1}}, your order {{2}} has shipped and should arrive on {{3}}."},{"type":"FOOTER","text":"Acme Store"},{"type":"BUTTONS","buttons":[{"type":"URL","text":"Track order","url":"https://acme.example/track"}]}]'),
		(502, 31, 'order_update', 'ms', 'UTILITY', 'APPROVED', 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		 '[{"type":"HEADER","format":"TEXT","text":"Kemas kini pesanan"},{"type":"BODY","text":"Hai {{1}}, pesanan {{2}} anda telah dihantar dan dijangka tiba pada {{3}}."},{"type":"BUTTONS","buttons":[{"type":"URL","text":"Jejak pesanan","url":"https://acme.example/track"}]}]'),
		(503, 31, 'order_update', 'es', 'UTILITY', 'APPROVED', 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		 '[{"type":"BODY","text":"Hola {{1}}, tu pedido {{2}} ha sido enviado y llegará el {{3}}."}]'),
		(504, 31, 'welcome_offer', 'en', 'MARKETING', 'APPROVED', 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		 '[{"type":"HEADER","format":"IMAGE","example":{"header_handle":["https://acme.example/img/welcome.jpg"]}},{"type":"BODY","text":"Hello {{1}}! Enjoy {{2}} off your next order."},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Yes please"},{"type":"QUICK_REPLY","text":"No thanks"}]}]'),
		(505, 31, 'appointment_reminder', 'en', 'UTILITY', 'APPROVED', 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		 '[{"type":"BODY","text":"Hi {{1}}, a reminder of your appointment on {{2}} at {{3}}."},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Confirm"},{"type":"QUICK_REPLY","text":"Reschedule"}]}]'),
		(506, 31, 'invoice_ready', 'en', 'UTILITY', 'APPROVED', 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		 '[{"type":"HEADER","format":"DOCUMENT","example":{"header_handle":["https://acme.example/invoice.pdf"]}},{"type":"BODY","text":"Hi {{1}}, your invoice {{2}} is attached."}]'),
		(507, 31, 'hello_world', 'en_US', 'UTILITY', 'APPROVED', 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		 '[{"type":"HEADER","format":"TEXT","text":"Hello World"},{"type":"BODY","text":"Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification."},{"type":"FOOTER","text":"WhatsApp Business Platform sample message"}]'),
		(508, 31, 'holiday_promo', 'en', 'MARKETING', 'PENDING', 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		 '[{"type":"BODY","text":"Happy holidays {{1}}! Everything is {{2}} off until Sunday."}]'),
		(509, 31, 'feedback_request', 'en', 'MARKETING', 'REJECTED', 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
		 '[{"type":"BODY","text":"How did we do, {{1}}? Reply 1 to 5."}]');
`

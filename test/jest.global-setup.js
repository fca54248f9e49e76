// n8n-core writes an encryption key into ~/.n8n/config on first use: give every test run a
// throw-away user folder so tests never touch (or depend on) the developer's own n8n.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlc-n8n-'));
	process.env.N8N_USER_FOLDER = folder;
	process.env.N8N_ENCRYPTION_KEY = process.env.N8N_ENCRYPTION_KEY || 'test-only-not-a-secret';
};

/**
 * End-to-end suite: a real n8n 2.41.1 (provisioned by scripts/provision-n8n.sh into .cache/e2e or
 * $MLC_E2E_CACHE) with the packed package installed, against the IFS sandbox process.
 *   npx jest -c jest.e2e.config.js
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// Builds dist/ and .cache/tools, then provisions n8n (a no-op when already done).
	globalSetup: '<rootDir>/test/e2e/jest.global-setup.js',
	// Per test; setup hooks set their own, longer bounds. n8n CLI calls take 3–7 s each.
	testTimeout: 180_000,
	maxWorkers: 1,
};

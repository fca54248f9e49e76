/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Timing-sensitive tests (jest.perf.config.js) and real-n8n tests (jest.e2e.config.js) run on
	// their own, after the main suite.
	testPathIgnorePatterns: ['/node_modules/', '\\.perf\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	globalSetup: '<rootDir>/test/jest.global-setup.js',
	testTimeout: 30000,
	maxWorkers: 2,
};

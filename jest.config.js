/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Timing-sensitive tests run on their own, after the main suite (jest.perf.config.js).
	testPathIgnorePatterns: ['/node_modules/', '\\.perf\\.test\\.ts$'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	globalSetup: '<rootDir>/test/jest.global-setup.js',
	testTimeout: 30000,
	maxWorkers: 2,
};

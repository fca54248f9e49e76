/** Timing-sensitive acceptance tests: run alone (npm test runs them after the main suite, in band). */
const base = require('./jest.config.js');

module.exports = { ...base, testMatch: ['**/*.perf.test.ts'], testPathIgnorePatterns: [], maxWorkers: 1 };

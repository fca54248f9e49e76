// The scanner's second leg: the published tarball's compiled JavaScript, with the community rules.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default [
	{
		files: ['dist/**/*.js'],
		...n8nCommunityNodesPlugin.configs.recommended,
		ignores: [],
		languageOptions: { sourceType: 'commonjs', ecmaVersion: 2022 },
	},
];

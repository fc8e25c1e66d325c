// Lint for the whole repository: TypeScript-aware recommended rules; layout is Prettier's (.prettierrc.json), checked
// by `npm run lint`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'
import n from 'eslint-plugin-n'

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '**/dist/**',
      'data/**',
      'migrations/**',
      '.tap/**',
      'coverage/**',
      'test-output/**',
      '.migrations-check/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    // An import must be declared in the package.json nearest the importing file (extension/ has its own).
    plugins: { n },
    rules: { 'n/no-extraneous-import': 'error' }
  },
  {
    // Layers: the shipped server never imports tooling, scripts or tests (README "Where things are").
    files: ['server/**/*.ts'],
    ignores: ['server/rules/tooling/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/tooling/*'], message: 'server/rules/tooling/ is for scripts and tests only' },
            { group: ['**/scripts/*', '**/test/*', '**/extension/*'], message: 'the server imports only server/' }
          ]
        }
      ]
    }
  },
  {
    files: ['scripts/**/*.ts'],
    // The one exception: the preview's stand-in for a shop is the tests' fake Admin API and OAuth grant screen.
    ignores: ['scripts/lib/preview-shopify.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/test/*'], message: 'scripts/ import nothing from test/' }] }
      ]
    }
  },
  {
    files: ['extension/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/test/*', '**/scripts/*', '**/server/*'], message: 'extension/ imports only extension/' }
          ]
        }
      ]
    }
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // Prettier wraps code at 120; what it cannot wrap (comments) is kept there too. Long strings and CSS are data.
      'max-len': [
        'error',
        {
          code: 120,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreUrls: true,
          ignoreRegExpLiterals: true
        }
      ]
    }
  }
)

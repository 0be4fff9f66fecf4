// Typed operations for the bot, generated from schema.graphql: npm run codegen.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['bot/**/*.ts', 'jobs/**/*.ts', '!bot/gql/**'],
  generates: {
    'bot/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { enumsAsTypes: true, useTypeImports: true, importExtension: '.ts', scalars: { DateTime: 'string', JSON: 'unknown' } },
    },
  },
  ignoreNoDocuments: false,
};

export default config;

/**
 * Names a file of the table definitions derived once for a test run (test/support/global-setup.ts): local/stack.ts
 * reads it rather than synthesizing the data stack again. A module of its own, so that reading the name does not
 * load the CDK.
 */
export const LOCAL_TABLES_VARIABLE = 'RTK_LOCAL_TABLES';

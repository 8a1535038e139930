export { EXIT_ERROR, EXIT_OK, EXIT_REGRESSION, run } from './run';
export type { CliOptions } from './run';

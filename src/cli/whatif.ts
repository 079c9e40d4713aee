import type { Command } from 'commander';

import { UserError } from '../errors.js';

export function registerWhatif(program: Command): void {
  program
    .command('whatif')
    .description('(not built yet)')
    .action(() => {
      throw new UserError('tokengap whatif is not built yet');
    });
}

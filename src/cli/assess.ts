import type { Command } from 'commander';

import { UserError } from '../errors.js';

export function registerAssess(program: Command): void {
  program
    .command('assess')
    .description('(not built yet)')
    .action(() => {
      throw new UserError('tokengap assess is not built yet');
    });
}

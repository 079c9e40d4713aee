import type { Command } from 'commander';

import { UserError } from '../errors.js';

export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description('(not built yet)')
    .action(() => {
      throw new UserError('tokengap collect is not built yet');
    });
}

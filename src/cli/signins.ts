import type { Command } from 'commander';

import { UserError } from '../errors.js';

export function registerSignins(program: Command): void {
  program
    .command('signins')
    .description('(not built yet)')
    .action(() => {
      throw new UserError('tokengap signins is not built yet');
    });
}

import type { Command } from 'commander';

import { UserError } from '../errors.js';

export function registerDeliverables(program: Command): void {
  program
    .command('deliverables')
    .description('(not built yet)')
    .action(() => {
      throw new UserError('tokengap deliverables is not built yet');
    });
}

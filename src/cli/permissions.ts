import type { Command } from 'commander';

import { collectPermissions, RESPOND_PERMISSIONS, type PermissionNeed } from '../graph/permissions.js';
import { parseResourceList } from './collect.js';

function formatTable(title: string, needs: readonly PermissionNeed[]): string {
  const width = Math.max(...needs.map((need) => need.permission.length));
  const lines = [title];
  for (const need of needs) {
    lines.push(`  ${need.permission.padEnd(width)}  ${need.usedFor.join('; ')}`);
  }
  return lines.join('\n');
}

export function registerPermissions(program: Command): void {
  program
    .command('permissions')
    .description('Print the Microsoft Graph application permissions each command needs (least privilege).')
    .option('--resources <list>', 'only the permissions for these snapshot resources (comma-separated)')
    .option('--json', 'print JSON instead of text')
    .action((options: { resources?: string; json?: boolean }) => {
      const resources = options.resources ? parseResourceList(options.resources) : undefined;
      const collect = collectPermissions(resources);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ collect, respond: RESPOND_PERMISSIONS }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        [
          formatTable('collect (application permissions, all read-only; grant admin consent in each client tenant):', collect),
          '',
          formatTable('respond (not built yet; write permissions, for a separate app registration):', RESPOND_PERMISSIONS),
          '',
          'See docs/app-registration.md for how to create the app registration and consent it.',
          '',
        ].join('\n'),
      );
    });
}

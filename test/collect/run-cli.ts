// Runs the CLI from source, so the collect tests need no build of dist/.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);

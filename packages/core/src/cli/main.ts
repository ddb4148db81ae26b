#!/usr/bin/env node
/**
 * The `persian-hub` command: the download manager for people without a host app.
 * All logic lives in runCli (testable); this file only wires the process to it.
 */
import { runCli } from './runCli.js';

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
// Let stdout/stderr drain and exit naturally; if a stray handle (a socket in keep-alive, a timer)
// would keep the process alive, leave anyway shortly after.
setTimeout(() => process.exit(code), 1500).unref();

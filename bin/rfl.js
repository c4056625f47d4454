#!/usr/bin/env node
'use strict';
// Thin launcher so that `npx rfl` and a global install find the bundled CLI (built by `npm install`).
require('../dist/cli.js').runFromProcess();

'use strict';
// The action's code is bundle.js. Its source map (the action's own code) is read only when the run
// is debugged, so a stack trace then points into src/ instead of minified code.
if (process.env.RUNNER_DEBUG === '1' || process.env.ACTIONS_STEP_DEBUG === 'true') {
  process.setSourceMapsEnabled(true);
}
require('./bundle.js');

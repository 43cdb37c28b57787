// The e2e tests serve dist/ with the same static server as scripts/start.sh.
export { serve } from '../../scripts/serve.mjs';

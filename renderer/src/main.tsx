// First: configures zod before any schema is built (see the module).
import './zodConfig';
// The app's own stylesheets come before any board's (imports are stylesheet order): a
// board's rule may refine the app's where both apply (`.composer-send` over `.btn`).
import './app/styles.css';
import './app/controls.css';
import './app/shell.css';
import { AllCommunityModule, ModuleRegistry } from 'ag-grid-community';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';

// AG Grid 33+ ships features as modules; the community set covers the message grid.
ModuleRegistry.registerModules([AllCommunityModule]);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/ApiContext';
import { pickTransport } from './api/pick-transport';
import { App, APP_TITLE } from './App';
import './styles/app.css';

export { APP_TITLE };

/** Renderer entry: pick the transport once, then render the app (or say why it cannot start). */
const container = document.getElementById('root');
if (container) {
  const picked = pickTransport(window);
  createRoot(container).render(
    <StrictMode>
      {'client' in picked ? (
        <ApiProvider client={picked.client}>
          <App />
        </ApiProvider>
      ) : (
        <div className="app" data-app-state="error" role="alert">
          <h1>{APP_TITLE}</h1>
          <p>{picked.error}</p>
        </div>
      )}
    </StrictMode>,
  );
}

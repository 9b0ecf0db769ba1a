import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/ApiContext';
import { pickTransport } from './api/pick-transport';
import { App, APP_TITLE } from './App';
import './styles/app.css';

export { APP_TITLE };

/** Renderer entry: pick the transport once, then render the app. */
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <ApiProvider client={pickTransport(window)}>
        <App />
      </ApiProvider>
    </StrictMode>,
  );
}

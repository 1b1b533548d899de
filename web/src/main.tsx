import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'gestalt/dist/gestalt.css';
import './app.css';
import { App } from './app';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

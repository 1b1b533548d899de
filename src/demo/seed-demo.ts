// Demo data for a newcomer's first start. Filled in by the demo-data work; for now it only explains
// how to get a token.
import type { Logger } from 'pino';
import type { Container } from '../container.js';

export async function seedDemoIfEmpty(_container: Container, logger: Logger): Promise<void> {
  logger.info('Create an account with POST /v5/accounts, then get a token with POST /v5/oauth/token.');
}

import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";

/** What the exchange credentials secret must hold. */
export const ExchangeCredentials = z.object({
  apiKey: z.string().min(1, "must not be empty"),
  apiSecret: z.string().min(1, "must not be empty"),
});
export type ExchangeCredentials = z.infer<typeof ExchangeCredentials>;

/** `live` cannot run: the message says why, never the secret's content. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsError";
  }
}

/** Reads and validates the exchange credentials; throws {@link CredentialsError} when unusable. */
export async function loadExchangeCredentials(
  client: SecretsManagerClient,
  secretId: string,
): Promise<ExchangeCredentials> {
  let text: string | undefined;
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    text = secret.SecretString;
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    throw new CredentialsError(`cannot read exchange credentials secret ${secretId}: ${name}`);
  }
  if (!text) throw new CredentialsError(`exchange credentials secret ${secretId} has no string value`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CredentialsError(`exchange credentials secret ${secretId} is not JSON`);
  }
  const parsed = ExchangeCredentials.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new CredentialsError(`exchange credentials secret ${secretId} is invalid (${fields})`);
  }
  return parsed.data;
}

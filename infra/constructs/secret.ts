import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * A secret the product keeps for as long as the data it protects: encrypted with the force's key, retained when
 * the stack goes, and not rotated automatically, with the reason cdk-nag's rotation rule (AwsSolutions-SMG4) is
 * answered by. Generated key material is 64 alphanumerics (Secrets Manager generates text, not raw bytes: about
 * 380 bits); a secret issued elsewhere (a Notify API key) is left empty for an operator to fill.
 */
export function keptSecret(
  scope: Construct,
  id: string,
  props: { description: string; key: kms.IKey; generated: boolean; notRotatedBecause: string },
): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, id, {
    description: props.description,
    encryptionKey: props.key,
    ...(props.generated ? { generateSecretString: { passwordLength: 64, excludePunctuation: true } } : {}),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.notRotatedBecause });
  return secret;
}

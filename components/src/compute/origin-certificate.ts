import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface OriginCertificateArgs {
  /** The hostname the certificate names (what API Gateway calls the ALB by), e.g. `origin.tradai.io`. */
  domainName: string;
  /** Public Route 53 hosted zone (by name) that holds `domainName`: where the validation record goes. */
  zoneName: string;
}

/**
 * The ALB's TLS certificate: an ACM certificate for the origin hostname, validated through a DNS record in
 * the configured Route 53 zone. `certificateArn` resolves only once ACM has issued it, so the HTTPS
 * listener that uses it never starts with a pending certificate.
 *
 * @example
 * const cert = new OriginCertificate("origin-cert", { domainName: "origin.tradai.io", zoneName: "tradai.io" }, ctx.opts);
 */
export class OriginCertificate extends pulumi.ComponentResource {
  readonly certificate: aws.acm.Certificate;
  readonly validation: aws.acm.CertificateValidation;
  /** The hosted zone id of `zoneName`. */
  readonly zoneId: pulumi.Output<string>;
  /** The issued certificate's ARN. */
  readonly certificateArn: pulumi.Output<string>;

  constructor(name: string, args: OriginCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:OriginCertificate", name, {}, opts);
    const child = { parent: this };
    if (!args.domainName.endsWith(`.${args.zoneName}`) && args.domainName !== args.zoneName) {
      throw new Error(`OriginCertificate ${name}: ${args.domainName} is not in the zone ${args.zoneName}`);
    }
    this.zoneId = aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, child).zoneId;
    this.certificate = new aws.acm.Certificate(
      name,
      {
        domainName: args.domainName,
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
      },
      child,
    );
    // One name, so one validation option.
    const option = this.certificate.domainValidationOptions.apply((options) => {
      const [first] = options ?? [];
      if (!first) throw new Error(`OriginCertificate ${name}: ACM returned no DNS validation option`);
      return first;
    });
    const record = new aws.route53.Record(
      `${name}-validation`,
      {
        zoneId: this.zoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
      },
      child,
    );
    this.validation = new aws.acm.CertificateValidation(
      name,
      { certificateArn: this.certificate.arn, validationRecordFqdns: [record.fqdn] },
      child,
    );
    this.certificateArn = this.validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}

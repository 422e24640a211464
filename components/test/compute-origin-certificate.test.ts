import { OriginCertificate } from "../src/compute/origin-certificate";
import { capture, captureFailure, expectWellFormed, mockArn, mockPulumi, resolve } from "./harness";

const CERTIFICATE = "aws:acm/certificate:Certificate";

beforeAll(() =>
  mockPulumi({
    calls: {
      "aws:route53/getZone:getZone": (inputs) => ({ zoneId: `Z-${inputs.name}`, name: inputs.name, id: "z" }),
    },
    state: {
      [CERTIFICATE]: (inputs) => ({
        domainValidationOptions: [
          {
            domainName: inputs.domainName,
            resourceRecordName: `_x.${inputs.domainName}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: "_y.acm-validations.aws.",
          },
        ],
      }),
      "aws:route53/record:Record": (inputs) => ({ fqdn: inputs.name }),
      "aws:acm/certificateValidation:CertificateValidation": (inputs) => ({
        certificateArn: inputs.certificateArn,
      }),
    },
  }),
);

describe("OriginCertificate", () => {
  it("requests a DNS-validated certificate, validates it in the zone and resolves once it is issued", async () => {
    const c = await capture(
      (opts) =>
        new OriginCertificate("origin-cert", { domainName: "origin.tradai.io", zoneName: "tradai.io" }, opts),
    );
    expectWellFormed(c, "tradai:compute:OriginCertificate", "origin-cert");
    expect(c.one(CERTIFICATE, "origin-cert").inputs).toEqual({
      domainName: "origin.tradai.io",
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
    });
    expect(c.one("aws:route53/record:Record", "origin-cert-validation").inputs).toMatchObject({
      zoneId: "Z-tradai.io",
      name: "_x.origin.tradai.io.",
      type: "CNAME",
      records: ["_y.acm-validations.aws."],
    });
    const certArn = mockArn(CERTIFICATE, "origin-cert");
    expect(c.one("aws:acm/certificateValidation:CertificateValidation", "origin-cert").inputs).toEqual({
      certificateArn: certArn,
      validationRecordFqdns: ["_x.origin.tradai.io."],
    });
    expect(await resolve(c.component.certificateArn)).toBe(certArn);
  });

  it("rejects a name outside the zone, creating nothing", async () => {
    const { error, registered } = await captureFailure(
      () => new OriginCertificate("bad", { domainName: "origin.example.com", zoneName: "tradai.io" }),
    );
    expect(error.message).toBe("OriginCertificate bad: origin.example.com is not in the zone tradai.io");
    expect(registered).toEqual(["tradai:compute:OriginCertificate::bad"]);
    // A name that merely ends with the zone's letters is not in it.
    expect(
      () => new OriginCertificate("bad2", { domainName: "originexample.io", zoneName: "example.io" }),
    ).toThrow("is not in the zone");
  });
});

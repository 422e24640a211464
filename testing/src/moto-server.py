"""moto_server for the tests and the local platform, with per-request costs of moto's own server taken out
(measured with py-spy over the Lambda and service suites, which wait on the emulator), and one route added.

Costs taken out:
- moto looks the service of every request up in a fresh listing of its package directory
  (`moto.backends.list_of_moto_modules`: a listdir and an isdir per service); that listing does not change
  while the server runs, so it is read once;
- each request lists the methods of its service's response class (`inspect.getmembers`, hundreds of
  methods for EC2) to find the action; a class's methods do not change either, so that list is kept;
- every backend moto creates (per service, account and region, again after each reset) asks botocore for
  the service's regions, which reloads botocore's endpoint data; moto caches that per backend object, so
  it is cached here per service;
- SNS generates a 2048-bit RSA key per subscription to sign what it delivers (about 6% of the emulator's
  CPU in the Lambda suites, which subscribe probe queues after every reset); one key per process signs
  everything here, as AWS signs a region's messages with one certificate;
- werkzeug logs every request line at INFO; only warnings and errors are kept.

Route added: `GET /moto-api/tradai/state`, what the emulator holds, read from moto's models in one
request (see `emulator_state`). The tests' "a rejected input changed nothing" snapshots used to read it
through eight AWS APIs, a request per table, bucket, queue and cluster: about 16 requests per snapshot and
a few hundred snapshots per run.

Everything else is moto's `moto_server` entry point with the same arguments.
"""

import functools
import json
import logging
import sys

from moto import backends
from moto.core import base_backend, responses
from moto.moto_api._internal import urls as moto_api_urls
from moto.server import main

if hasattr(backends, "list_of_moto_modules"):
    listing = backends.list_of_moto_modules
    backends.list_of_moto_modules = functools.cache(lambda: tuple(listing()))
if hasattr(responses, "method_names_from_class"):
    responses.method_names_from_class = functools.cache(responses.method_names_from_class)

_regions_of = base_backend.AccountSpecificBackend._generate_regions
_regions_by_service = functools.cache(lambda service: tuple(_regions_of.__wrapped__(None, service)))
base_backend.AccountSpecificBackend._generate_regions = lambda self, service: list(_regions_by_service(service))

logging.getLogger("werkzeug").setLevel(logging.WARNING)


@functools.cache
def _signing_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _patch_sns_signing():
    from moto.sns import models as sns_models

    sns_models.Subscription.private_key = lambda self: _signing_key()


_patch_sns_signing()


def _existing(backend_dict):
    """The (account, region, backend) moto has created: reading them creates none (plain dict access)."""
    for account, per_region in list(dict.items(backend_dict)):
        for region, backend in list(dict.items(per_region)):
            yield account, region, backend


def _route_target(route):
    for attribute in ("interface", "gateway", "instance", "nat_gateway", "vpc_pcx", "transit_gateway"):
        target = getattr(route, attribute, None)
        if target is not None:
            return getattr(target, "id", str(target))
    return "local" if getattr(route, "local", False) else "?"


def emulator_state():
    """What the emulator holds, across every account and region moto has a backend for: DynamoDB items
    (whole, keys sorted), S3 objects' ETags, the messages of every SQS queue (visible, in flight, delayed),
    ECS tasks, Step Functions executions, CloudWatch metrics (with their data point counts), EC2 routes,
    and the SNS topics no SQS queue is subscribed to (a publish to those would be invisible)."""
    from moto.cloudwatch.models import cloudwatch_backends
    from moto.dynamodb.models import dynamodb_backends
    from moto.ec2.models import ec2_backends
    from moto.ecs.models import ecs_backends
    from moto.s3.models import FakeDeleteMarker, s3_backends
    from moto.sns.models import sns_backends
    from moto.sqs.models import sqs_backends
    from moto.stepfunctions.models import stepfunctions_backends

    state = {
        "items": {},
        "objects": {},
        "queues": {},
        "tasks": {},
        "executions": {},
        "metrics": [],
        "routes": {},
        "unprobedTopics": [],
    }
    for account, region, db in _existing(dynamodb_backends):
        for name, table in list(db.tables.items()):
            rows = [json.dumps(item.to_json()["Attributes"], sort_keys=True) for item in table.all_items()]
            state["items"][f"{account}/{region}/{name}"] = sorted(rows)
    for _account, _partition, s3 in _existing(s3_backends):
        for name, bucket in list(s3.buckets.items()):
            for key, value in bucket.keys.items():
                if not isinstance(value, FakeDeleteMarker):
                    state["objects"][f"{name}/{key}"] = value.etag
    for _account, _region, sqs in _existing(sqs_backends):
        for queue in list(sqs.queues.values()):
            state["queues"][queue.queue_arn] = (
                f"{queue.approximate_number_of_messages}/{queue.approximate_number_of_messages_not_visible}"
                f"/{queue.approximate_number_of_messages_delayed}"
            )
    for _account, _region, sns in _existing(sns_backends):
        subscriptions = list(sns.subscriptions.values())
        for arn in list(sns.topics):
            if not any(s.topic.arn == arn and s.protocol == "sqs" for s in subscriptions):
                state["unprobedTopics"].append(arn)
    for _account, _region, ecs in _existing(ecs_backends):
        for cluster in list(ecs.clusters.values()):
            state["tasks"][cluster.arn] = sorted(ecs.tasks.get(cluster.name, {}))
    for _account, _region, sfn in _existing(stepfunctions_backends):
        for machine in list(sfn.state_machines):
            state["executions"][machine.arn] = sorted(e.execution_arn for e in machine.executions)
    for account, region, cloudwatch in _existing(cloudwatch_backends):
        counts = {}
        for datum in cloudwatch.get_all_metrics():
            dims = ",".join(sorted(f"{d.name}={d.value}" for d in datum.dimensions))
            name = f"{account}/{region}/{datum.namespace}/{datum.name}{{{dims}}}"
            counts[name] = counts.get(name, 0) + 1
        state["metrics"].extend(f"{name} x{count}" for name, count in counts.items())
    for _account, _region, ec2 in _existing(ec2_backends):
        for table_id, table in list(ec2.route_tables.items()):
            state["routes"][table_id] = sorted(
                f"{route.destination_cidr_block} -> {_route_target(route)}" for route in table.routes
            )
    state["metrics"].sort()
    state["unprobedTopics"].sort()
    return state


def _state_response(request, full_url, headers):
    if request.method != "GET":
        return 405, {}, json.dumps({"Error": "GET the state"})
    return 200, {"Content-Type": "application/json"}, json.dumps(emulator_state(), sort_keys=True)


moto_api_urls.url_paths["{0}/moto-api/tradai/state$"] = _state_response

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

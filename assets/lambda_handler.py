"""A small Lambda-style handler: the kind of module whose cold start lmms-tui is for."""
import json
import logging
import os

import boto3
import requests
import websocket
import pandas as pd
from dateutil import parser as dateparser

logger = logging.getLogger(__name__)


def handler(event, context):
    when = dateparser.parse(event.get("when", "2026-01-01"))
    frame = pd.DataFrame(event.get("rows", []))
    return {"statusCode": 200, "body": json.dumps({"when": when.isoformat(), "rows": len(frame)})}

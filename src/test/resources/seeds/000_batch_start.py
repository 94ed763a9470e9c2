import requests
import json

# Batch start multiple instances
def batch_start_instances(instance_ids):
    url = "http://localhost:8848/v1/core/instances/batch/start"
    payload = {"instanceIds": instance_ids}
    response = requests.post(url, json=payload)
    return response.json()

# Batch stop multiple instances
def batch_stop_instances(instance_ids):
    url = "http://localhost:8848/v1/core/instances/batch/stop"
    payload = {"instanceIds": instance_ids}
    response = requests.post(url, json=payload)
    return response.json()

# Usage
instance_ids = ["instance-1", "instance-2", "instance-3"]
result = batch_start_instances(instance_ids)
print(f"Started {result['success']} out of {result['total']} instances")

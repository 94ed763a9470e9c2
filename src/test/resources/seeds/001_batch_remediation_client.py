import requests
import time

# Prepare device list
devices = []
for i in range(100):
    devices.append({
        "device_id": f"router{i}",
        "platform": "cisco_ios",
        "running_config": f"hostname router{i}",
        "intended_config": f"hostname router{i}-new"
    })

# Create batch job
response = requests.post(
    "http://localhost:8000/api/v1/batch/remediation",
    json={"device_configs": devices}
)

job_id = response.json()["job_id"]
print(f"Job created: {job_id}")

# Poll for completion
while True:
    status = requests.get(
        f"http://localhost:8000/api/v1/batch/jobs/{job_id}"
    ).json()

    print(f"Progress: {status['progress']:.1f}% "
          f"({status['completed_devices']}/{status['total_devices']})")

    if status['status'] in ['completed', 'failed']:
        break

    time.sleep(2)

# Fetch results
results = requests.get(
    f"http://localhost:8000/api/v1/batch/jobs/{job_id}/results"
).json()

# Process successful remediations
for result in results['results']:
    if result['status'] == 'success':
        print(f"{result['device_id']}: Ready for deployment")
        print(result['remediation'])
    else:
        print(f"{result['device_id']}: FAILED - {result['error']}")

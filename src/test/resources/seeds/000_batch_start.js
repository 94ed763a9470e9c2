// Batch start multiple instances
async function batchStartInstances(instanceIds) {
  const response = await fetch('http://localhost:8848/v1/core/instances/batch/start', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ instanceIds }),
  });
  return await response.json();
}

// Batch stop multiple instances
async function batchStopInstances(instanceIds) {
  const response = await fetch('http://localhost:8848/v1/core/instances/batch/stop', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ instanceIds }),
  });
  return await response.json();
}

// Usage
const instanceIds = ['instance-1', 'instance-2', 'instance-3'];
batchStartInstances(instanceIds)
  .then(result => {
    console.log(`Started ${result.success} out of ${result.total} instances`);
  });

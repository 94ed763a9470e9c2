-- wrk script: every request is a POST with the same small JSON body the plain clients send.
wrk.method = "POST"
wrk.body = '{"id":"i-0"}'
wrk.headers["Content-Type"] = "application/json"

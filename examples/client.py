#!/usr/bin/env python3
"""Calls mini-lb's generation endpoints, streaming included, with only Python's standard library.

    python3 examples/client.py [http://127.0.0.1:8080]
"""
import json
import sys
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"


def post(path, body):
    request = urllib.request.Request(
        BASE + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    return urllib.request.urlopen(request, timeout=60)


def main():
    with urllib.request.urlopen(BASE + "/health", timeout=10) as response:
        print("GET /health ->", response.status)

    with post("/generate", {"text": "The capital of France is",
                            "sampling_params": {"max_new_tokens": 8, "temperature": 0}}) as response:
        print("POST /generate ->", json.load(response)["text"])

    with post("/v1/chat/completions", {"model": "default", "max_tokens": 8,
                                       "messages": [{"role": "user", "content": "Hello!"}]}) as response:
        print("POST /v1/chat/completions ->", json.load(response)["choices"][0]["message"]["content"])

    print("POST /v1/chat/completions (stream) ->", end=" ", flush=True)
    with post("/v1/chat/completions", {"model": "default", "max_tokens": 16, "stream": True,
                                       "messages": [{"role": "user", "content": "Tell me a story"}]}) as response:
        for raw in response:
            line = raw.decode().strip()
            if not line.startswith("data:"):
                continue
            data = line[len("data:"):].strip()
            if data == "[DONE]":
                break
            for choice in json.loads(data).get("choices", []):
                print(choice.get("delta", {}).get("content") or "", end="", flush=True)
    print()


if __name__ == "__main__":
    main()

Return-Path: <3d4e5cce53900d1bab4f0@smtp-tls-reporting.bounces.google.com>
Received: from mail-oi1-f184.google.com (mail-oi1-f200.google.com [209.85.167.41])
	by mx1.example.org (Postfix) with ESMTPS id FEA8E1BDF6
	for <tlsrpt@example.org>; Sat, 28 Nov 2026 03:37:20 +0000
Authentication-Results: mx1.example.org; dkim=pass header.d=google.com header.s=20251104 header.b=loDTZeqS;
 spf=pass smtp.mailfrom=smtp-tls-reporting.bounces.google.com; dmarc=pass header.from=google.com
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
        d=google.com; s=20251104; t=1795837040; x=1796441840; darn=example.org;
        h=to:from:subject:message-id:tls-report-submitter:tls-report-domain
         :date:mime-version:from:to:cc:subject:date:message-id:reply-to;
        bh=/95JAEpKZoUDqHgzxfFganfw2VC/xiUaBmhOiDnuTSw=;
        b=WkBMVIP2wRHcMm9VldjyDdU+lblcEU6MRo8mxOfNqh7RzkCnGAhLDo0qQ0/36TsE
         mPDRjpibq3MAwj6F9YVrSF7iBlSqtA+hz7zeaf/ZaXU04ekS0Y2yRntzs61382qY
MIME-Version: 1.0
Date: Fri, 27 Nov 2026 19:37:20 -0800
TLS-Report-Domain: example.org
TLS-Report-Submitter: google.com
Message-ID: <1c32729f.050a0220.1afb33.d766tls@google.com>
Subject: Report Domain: example.org Submitter: google.com Report-ID: <2026.11.27T00.00.00Z+example.org@google.com>
From: noreply-smtp-tls-reporting@google.com
To: tlsrpt@example.org
Content-Type: multipart/report; boundary="000000000000df9badd465721177"; report-type=tlsrpt

--000000000000df9badd465721177
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes

This is an aggregate TLS report from google.com

--000000000000df9badd465721177
Content-Type: application/tlsrpt+gzip; 
	name="google.com!example.org!1795737600!1795823999!001.json.gz"
Content-Disposition: attachment; 
	filename="google.com!example.org!1795737600!1795823999!001.json.gz"
Content-Transfer-Encoding: base64

H4sIAAAAAAAAA3WQ0UrFMAyGX0V6vRy2icrZlXfivVdHRELblcKajDYD59i7m21HEOFAoMnfL3+T
LoZzQIrfKJEJCJM3nXlhDoO/eyV7MpVxKB4yUtCrxRTBLLBpEne4rdtHaBpon97qutvjol2e3A2q
ve8ezhoXs1bGMglagUg9K1aSjCBDgexHzhIpPId9mJPlpK6HDNHdePjTf2EaFde1FB95iDb6Yrr3
5SjmbYcjA5nHbTRiuAo9T+R+22ZwnDCSEn9NdeYypYR5dxIWHKBM1vpS+klTPbeftGolpmvO1ZXp
MQ5T9v+Bel0/1h84zaUuhgEAAA==
--000000000000df9badd465721177--

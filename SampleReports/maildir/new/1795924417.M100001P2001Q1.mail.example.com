Return-Path: <3ee6d0d0fb2a33e46144c@smtp-tls-reporting.bounces.google.com>
Received: from mail-oi1-f226.google.com (mail-oi1-f200.google.com [209.85.167.183])
	by mx1.example.com (Postfix) with ESMTPS id BAB0BCCAD8
	for <tlsrpt@example.com>; Sun, 29 Nov 2026 03:53:37 +0000
Authentication-Results: mx1.example.com; dkim=pass header.d=google.com header.s=20251104 header.b=blkOPixj;
 spf=pass smtp.mailfrom=smtp-tls-reporting.bounces.google.com; dmarc=pass header.from=google.com
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
        d=google.com; s=20251104; t=1795924417; x=1796529217; darn=example.com;
        h=to:from:subject:message-id:tls-report-submitter:tls-report-domain
         :date:mime-version:from:to:cc:subject:date:message-id:reply-to;
        bh=No0/5phgigYXiPaHOxw/CLJQTvAqpM/dX1Eff0+V6ZQ=;
        b=mW6VO1lQf9PU3CxQx+Ggav9ShxYIKi5WbdAhCmDCFJ5abrHdBirGywcUzbYx8Vx3
         AtgfjiQ7pjBVi+kfYUtlPxi7wF+Yp9WcmMcjJHJXwIZ0fKy2rm2np9LKaSQwWKtt
MIME-Version: 1.0
Date: Sat, 28 Nov 2026 19:53:37 -0800
TLS-Report-Domain: example.com
TLS-Report-Submitter: google.com
Message-ID: <1435acef.050a0220.b02c3e.8e0ctls@google.com>
Subject: Report Domain: example.com Submitter: google.com Report-ID: <2026.11.28T00.00.00Z+example.com@google.com>
From: noreply-smtp-tls-reporting@google.com
To: tlsrpt@example.com
Content-Type: multipart/report; boundary="00000000000029e74bc6759fde19"; report-type=tlsrpt

--00000000000029e74bc6759fde19
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes

This is an aggregate TLS report from google.com

--00000000000029e74bc6759fde19
Content-Type: application/tlsrpt+gzip; 
	name="google.com!example.com!1795824000!1795910399!001.json.gz"
Content-Disposition: attachment; 
	filename="google.com!example.com!1795824000!1795910399!001.json.gz"
Content-Transfer-Encoding: base64

H4sIAAAAAAAAA3WRwWrDMAyGXyX4XBcnW0vnU29j5/bUUYpw3MwQW8FWSrKSd5+SbIWWFQy25E/6
f9lXgbGC4L6BHAYZwFuhxTtiVdvsI5ilWIgSyMoIoeKrq0gEkeSYIzfBhSrWMs9lsdkrpad14Cob
yidU8aJXb7wOYlgIg4HAkHThjIwlT42kOsloG4zkQrWtJjNLg567zmnpyifCJ9uBb254g7Uzziah
P69z0I8zzCdJfTNaS5T+0F4miizKvLjYmPhNdLbb7y45Ex5LqzPLRqOxY9zpzHf58l5yzhaPWehO
UHH5Wr1ulBLHm2CJHlxgG49t5BcmGo38p3Hf/8gPmVrvIU7jERLUMrXG2JTOLR95H7/XYBu4ZZ6v
Fr/QGVzdRvtIqGE4Dj9/uuiSHAIAAA==
--00000000000029e74bc6759fde19--

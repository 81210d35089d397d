// The HTTPS endpoint lives here.
